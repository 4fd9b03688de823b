import type { Env } from "./settings.js";
import { app } from "./worker-app.js";

export { UserState } from "./store/user-state.js";

export default app satisfies ExportedHandler<Env>;
