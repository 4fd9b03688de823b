import { type PackageManagerName, PACKAGE_MANAGERS } from "./validate.js";

/** The package manager that ran us (`npm_config_user_agent` is set by npm, pnpm, yarn and bun), else npm. */
export function detectPackageManager(userAgent: string | undefined): PackageManagerName {
  const name = userAgent?.split("/")[0];
  return (PACKAGE_MANAGERS as readonly string[]).includes(name ?? "") ? (name as PackageManagerName) : "npm";
}
