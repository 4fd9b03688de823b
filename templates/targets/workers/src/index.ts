import type { Env } from "./server/settings.js";
import { createWorkerApp } from "./server/worker-app.js";

export { UserState } from "./server/store/user-state.js";

export default createWorkerApp() satisfies ExportedHandler<Env>;
