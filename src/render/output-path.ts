/** Template path → project path: a leading "_" in a segment becomes "." (npm drops dotfiles), ".hbs" is dropped. */
export function outputPathFor(templatePath: string): string {
  return templatePath
    .split("/")
    .map((segment) => (segment.startsWith("_") ? `.${segment.slice(1)}` : segment))
    .join("/")
    .replace(/\.hbs$/, "");
}

export const isRendered = (templatePath: string) => templatePath.endsWith(".hbs");
