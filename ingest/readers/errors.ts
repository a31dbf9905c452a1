/** A file that cannot be read as a report. `code` is stable for programs, `message` is for people. */
export class ReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ReadError";
  }
}
