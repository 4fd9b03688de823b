import type { TargetConfig } from "../catalog/index.js";

const majorMinor = (version: string) => version.replace(/^v/, "").split(".").slice(0, 2).map(Number) as [number, number];

/** The warning to show before writing a project this Node.js (`running`, e.g. "22.12.0") is too old to run, if any. */
export function olderNodeWarning(target: TargetConfig, running: string): string | undefined {
  const [major, minor] = majorMinor(running);
  const [needMajor, needMinor] = majorMinor(target.minimumNode);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return (
    `This is Node.js ${running.replace(/^v/, "")}; a ${target.name} project needs Node.js ${target.minimumNode} or newer to run. ` +
    `It is created anyway: install a newer Node.js (https://nodejs.org) before you run it.`
  );
}
