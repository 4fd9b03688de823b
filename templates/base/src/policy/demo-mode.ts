/** The per-person state key the demo-mode pack sets and the shop checks. */
export const DEMO_MODE = "demo_mode";
export const BANNED = "banned";
export const NORMAL = "normal";
