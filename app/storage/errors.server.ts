/**
 * The one error type of app/storage/. Whatever goes wrong with a stored
 * recording, callers get a RecordingError with a code, never wrong bytes:
 * - "integrity": a chunk failed authentication, is missing, is out of place,
 *   belongs to another recording, or the recording was cut short;
 * - "key": the key id is not in the keyring, or the data key does not unwrap;
 * - "format": the header is not ours or names an unknown version;
 * - "range": a byte range outside the recording;
 * - "state": the store was asked to do something out of order
 *   (write after finalize, begin twice, read an unknown recording);
 * - "config": the master keys are missing or malformed.
 */
export type RecordingErrorCode = "integrity" | "key" | "format" | "range" | "state" | "config";

export class RecordingError extends Error {
  override readonly name = "RecordingError";
  constructor(
    readonly code: RecordingErrorCode,
    message: string,
  ) {
    super(message);
  }
}
