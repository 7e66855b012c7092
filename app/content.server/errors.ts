/** A problem in a content file, with the line where it can be placed. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    message: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${message}`);
  }
}
