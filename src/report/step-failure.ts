import { StepError } from "../errors.js";
import { ApiCallError } from "../net/http.js";
import { STATE_FILE } from "../cloud/state.js";

export type CloudStage = "provision" | "deploy" | "destroy" | "agents";

/** A vendor's message may end its own sentence; ours goes on after it. */
const sentenceEnd = (detail: string) => detail.replace(/[.\s]+$/, "");

/** How to go on after a run stopped part-way: the state file knows what was done. */
export function howToResume(stage: CloudStage): string {
  if (stage === "agents") return `What was made is recorded in ${STATE_FILE}; rerun the same \`create-mcp-auth agents\` command inside the project.`;
  if (stage === "destroy") {
    return `What is still there is listed in ${STATE_FILE}; rerun \`create-mcp-auth destroy\` inside the project to delete the rest (what is already gone is skipped).`;
  }
  return `What was done so far is recorded in ${STATE_FILE}; rerun \`create-mcp-auth ${stage}\` inside the project to continue (nothing is created twice).`;
}

/** A failed vendor call becomes exit 1 with the step it stopped at and how to resume. */
export function asStepFailure(error: unknown, stage: CloudStage): unknown {
  if (!(error instanceof ApiCallError)) return error;
  const what = { provision: "Provisioning", deploy: "Deploy", destroy: "Destroy", agents: "The agents command" }[stage];
  return new StepError(`${what} stopped at "${error.step}": ${sentenceEnd(error.detail)}. ${howToResume(stage)}`, `${stage}_failed`);
}
