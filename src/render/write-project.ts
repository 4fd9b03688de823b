import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { directoryProblem } from "../options/directory.js";
import { onInterrupt } from "../interrupt.js";
import type { Plan } from "../plan/types.js";
import { renderTemplate } from "./handlebars.js";
import { loadTemplateSpecs } from "./template-specs.js";
import { stagingPathFor, sweepStaleStaging, writeFailure } from "./staging.js";

/**
 * Renders every planned file into a hidden staging directory beside the project, then moves it in with one rename
 * (or file by file into an existing directory, for --force). The staging directory never outlives this call, and
 * Ctrl-C or SIGTERM while rendering (it yields between files) removes it: no project appears. Stale staging
 * directories that killed runs left beside the project are swept first.
 */
export async function writeProject(plan: Plan, templatesRoot: string): Promise<void> {
  const { projectDir } = plan.project;
  const unsafe = directoryProblem(projectDir); // checked again: things may have changed since the options were read
  if (unsafe) throw new UsageError(unsafe);
  const parent = path.dirname(projectDir);
  let createdParent: string | undefined;
  try {
    createdParent = fs.mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw writeFailure(error, projectDir);
  }
  sweepStaleStaging(parent);
  const staging = stagingPathFor(parent);
  const removeStaging = () => fs.rmSync(staging, { recursive: true, force: true });
  const removeCreatedParent = () => createdParent && fs.rmSync(createdParent, { recursive: true, force: true });
  const forget = onInterrupt(() => {
    removeStaging();
    if (!fs.existsSync(projectDir)) removeCreatedParent();
  });
  try {
    await renderInto(staging, plan, templatesRoot);
    if (fs.existsSync(projectDir)) moveFilesInto(staging, projectDir, plan);
    else fs.renameSync(staging, projectDir);
  } catch (error) {
    removeStaging();
    removeCreatedParent();
    throw writeFailure(error, projectDir);
  } finally {
    removeStaging();
    forget();
  }
}

async function renderInto(staging: string, plan: Plan, templatesRoot: string): Promise<void> {
  fs.mkdirSync(staging);
  const specFor = await loadTemplateSpecs(templatesRoot);
  const partials = Object.fromEntries(plan.partials.map((p) => [p.name, specFor(p.source)]));
  const made = new Set<string>([staging]);
  for (const file of plan.files) {
    const from = path.join(templatesRoot, file.source);
    const to = path.join(staging, file.path);
    const dir = path.dirname(to);
    if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true }); // once per directory, not once per file
    made.add(dir);
    if (file.render) fs.writeFileSync(to, renderTemplate(specFor(file.source), plan.context, file.source, partials));
    else fs.copyFileSync(from, to);
    await new Promise((resolve) => setImmediate(resolve)); // lets a Ctrl-C in: it removes the staging directory
  }
}

/** --force: check every destination first, so a clash stops the run before anything moves. */
function moveFilesInto(staging: string, projectDir: string, plan: Plan): void {
  fs.accessSync(projectDir, fs.constants.W_OK); // a directory we cannot write stops the run before anything moves
  for (const file of plan.files) {
    let current = projectDir;
    for (const segment of file.path.split("/")) {
      current = path.join(current, segment);
      const stat = fs.lstatSync(current, { throwIfNoEntry: false });
      const isLast = current === path.join(projectDir, file.path);
      if (stat && (isLast ? !stat.isFile() : !stat.isDirectory())) {
        throw new UsageError(
          `Cannot write ${file.path}: "${path.relative(projectDir, current)}" is in the way in "${plan.project.directory}". Move it away and run again.`,
          "not_empty",
        );
      }
      if (!stat) break;
    }
  }
  for (const file of plan.files) {
    const to = path.join(projectDir, file.path);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(path.join(staging, file.path), to);
  }
}
