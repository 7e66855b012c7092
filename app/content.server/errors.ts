/** A problem in a content file, with the line where it can be placed. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    /** What is wrong, without the file and line. */
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${reason}`);
  }
}
