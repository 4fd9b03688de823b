export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

/** A problem with what the person asked for: exit 2, nothing written. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    message: string,
    readonly code: string = "usage",
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** The person pressed Ctrl-C or cancelled a prompt: exit 130. */
export class CancelledError extends Error {
  readonly exitCode = EXIT.cancelled;
  readonly code = "cancelled";
  constructor(message = "Cancelled.") {
    super(message);
    this.name = "CancelledError";
  }
}

/** A step failed while running (install, git, …): exit 1, with guidance. */
export class StepError extends Error {
  readonly exitCode = EXIT.failure;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "StepError";
  }
}


export function toReportedError(error: unknown): { code: string; exitCode: number; message: string } {
  if (error instanceof UsageError || error instanceof CancelledError || error instanceof StepError) {
    return { code: error.code, exitCode: error.exitCode, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal", exitCode: EXIT.failure, message };
}
