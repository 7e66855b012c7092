/**
 * A recording's plaintext as a random-access tokenizer for music-metadata, read
 * through a `readAt(start, end)` function (for an upload being finished: the
 * decrypting reader of its sealed chunks). music-metadata then seeks past the
 * audio samples instead of reading them, so checking a 1 GiB WAV decrypts its
 * header, not the whole file. Reads are served from a window of at least
 * WINDOW bytes, so the parser's many small token reads do not decrypt a chunk
 * each.
 */
import { AbstractTokenizer, EndOfStreamError, type IFileInfo, type IReadChunkOptions } from "strtok3";

/** Plaintext bytes [start, end) of the file, in order. */
export type ReadAt = (start: number, end: number) => AsyncIterable<Uint8Array>;

const WINDOW = 256 * 1024;

export class RandomAccessTokenizer extends AbstractTokenizer {
  fileInfo: IFileInfo & { size: number };
  #window: { start: number; bytes: Buffer } = { start: 0, bytes: Buffer.alloc(0) };

  constructor(
    private readonly readAt: ReadAt,
    size: number,
    mimeType?: string,
  ) {
    super();
    this.fileInfo = { size, mimeType };
  }

  supportsRandomAccess(): boolean {
    return true;
  }

  setPosition(position: number): void {
    this.validateLength(position, "position");
    this.position = position;
  }

  override async readBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const normal = this.normalizeOptions(target, options);
    const n = await this.#copy(target, normal.position, normal.length, normal.mayBeLess === true);
    this.position = normal.position + n;
    return n;
  }

  override async peekBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const normal = this.normalizeOptions(target, options);
    return this.#copy(target, normal.position, normal.length, normal.mayBeLess === true);
  }

  async #copy(target: Uint8Array, position: number, length: number, mayBeLess: boolean): Promise<number> {
    const available = Math.max(0, Math.min(length, this.fileInfo.size - position));
    if (available < length && !mayBeLess) throw new EndOfStreamError();
    let done = 0;
    while (done < available) {
      const at = position + done;
      const w = this.#window;
      if (at < w.start || at >= w.start + w.bytes.length) await this.#load(at, available - done);
      const from = at - this.#window.start;
      const n = Math.min(available - done, this.#window.bytes.length - from);
      this.#window.bytes.copy(target, done, from, from + n);
      done += n;
    }
    return done;
  }

  async #load(start: number, wanted: number): Promise<void> {
    const end = Math.min(this.fileInfo.size, start + Math.max(WINDOW, wanted));
    const pieces: Uint8Array[] = [];
    for await (const piece of this.readAt(start, end)) pieces.push(piece);
    const bytes = Buffer.concat(pieces);
    if (bytes.length !== end - start) throw new EndOfStreamError();
    this.#window = { start, bytes };
  }
}
