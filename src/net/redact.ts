/**
 * Secret values this process has seen (API tokens, client secrets, generated keys). Anything printed or reported as an error
 * passes through `redact`, so a vendor error that echoes a value back cannot leak it.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out;
}
