import { useEffect, useRef, useState } from "react";

/**
 * A small upload UI of ours over Uppy (@uppy/core + @uppy/tus): choose a file,
 * watch a progress bar, pause and resume. Uploads use the tus protocol, so a
 * dropped connection is retried from where it stopped, and after a page reload
 * choosing the same file again resumes it (tus keeps the upload's URL, never
 * its bytes, in this browser's storage). Only the target travels as metadata:
 * never the file's name. Uppy touches `window`, so it is loaded in the browser only.
 */
type Phase = "idle" | "uploading" | "paused" | "checking" | "done" | "failed";

type UppyLike = {
  addFile(file: { name: string; type: string; data: File; meta: Record<string, string> }): string;
  upload(): Promise<unknown>;
  pauseResume(id: string): boolean | undefined;
  cancelAll(): void;
  destroy(): void;
  on(event: string, cb: (...args: never[]) => void): void;
};

/** The server's own words from a tus error ("… response text: <body>"), else a plain fallback. */
export function uploadErrorMessage(message: string | undefined): string {
  const text = /response text: (.*?)(?:, request id:|$)/s.exec(message ?? "")?.[1]?.trim();
  if (text) {
    try {
      const parsed = JSON.parse(text) as { error?: string };
      if (parsed.error) return parsed.error;
    } catch {}
    return text;
  }
  return "The upload failed. Check your connection and choose the file again: it will continue where it stopped.";
}

export function RecordingUploader({ target, maxBytes, doneHref }: { target: string; maxBytes: number; doneHref: string }) {
  const uppy = useRef<UppyLike | null>(null);
  const fileId = useRef<string | null>(null);
  const [ready, setReady] = useState(false);
  const [phase, setPhase] = useState<Phase>("idle");
  const [percent, setPercent] = useState(0);
  const [sent, setSent] = useState({ bytes: 0, total: 0 });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let instance: UppyLike | null = null;
    (async () => {
      const [{ default: Uppy }, { default: Tus }] = await Promise.all([import("@uppy/core"), import("@uppy/tus")]);
      if (cancelled) return;
      const u = new Uppy({ autoProceed: false, restrictions: { maxNumberOfFiles: 1, maxFileSize: maxBytes } }).use(Tus, {
        endpoint: "/uploads",
        allowedMetaFields: ["target"],
        removeFingerprintOnSuccess: true,
        retryDelays: [0, 1000, 2000, 3000, 5000, 8000, 13000, 21000],
        // 8 MiB requests: progress and resumption stay fine-grained without many round trips.
        chunkSize: 8 * 1024 * 1024,
      }) as unknown as UppyLike;
      u.on("upload-progress", ((_file: unknown, progress: { bytesUploaded: number; bytesTotal: number | null }) => {
        const total = progress.bytesTotal ?? 0;
        setSent({ bytes: progress.bytesUploaded, total });
        setPercent(total ? Math.floor((progress.bytesUploaded / total) * 100) : 0);
        if (total && progress.bytesUploaded >= total) setPhase("checking");
      }) as never);
      u.on("upload-success", (() => {
        setPhase("done");
        setPercent(100);
      }) as never);
      u.on("upload-error", ((_file: unknown, err: { message?: string }) => {
        setPhase("failed");
        setError(uploadErrorMessage(err?.message));
      }) as never);
      u.on("restriction-failed", ((_file: unknown, err: { message?: string }) => {
        setPhase("failed");
        setError(err?.message ?? "That file cannot be uploaded.");
      }) as never);
      instance = u;
      uppy.current = u;
      setReady(true);
    })();
    return () => {
      cancelled = true;
      instance?.destroy();
      uppy.current = null;
    };
  }, [maxBytes]);

  function start(file: File) {
    const u = uppy.current;
    if (!u) return;
    u.cancelAll();
    setError(null);
    setPercent(0);
    try {
      // The name is only for Uppy's own bookkeeping in this browser; it is not sent (allowedMetaFields).
      fileId.current = u.addFile({ name: file.name, type: file.type, data: file, meta: { target } });
    } catch (e) {
      setPhase("failed");
      setError(e instanceof Error ? e.message : "That file cannot be uploaded.");
      return;
    }
    setPhase("uploading");
    void u.upload();
  }

  function togglePause() {
    const u = uppy.current;
    if (!u || !fileId.current) return;
    const paused = u.pauseResume(fileId.current);
    setPhase(paused ? "paused" : "uploading");
  }

  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  const busy = phase === "uploading" || phase === "paused" || phase === "checking";
  return (
    <div className="uploader" data-ready={ready ? "true" : "false"}>
      <noscript>
        <p className="alert alert--error">
          Uploading a recording needs JavaScript, so that a large file can resume after a dropped connection.
        </p>
      </noscript>
      <div className="field">
        <label htmlFor="recording-file">Recording file</label>
        <p className="hint" id="recording-file-hint">
          Audio or video: MP3, M4A, MP4, MOV, WAV, WebM, Matroska, Ogg/Opus or FLAC, up to {Math.floor(maxBytes / (1024 * 1024 * 1024))}{" "}
          GiB. The file is encrypted as it arrives. Its name is not sent.
        </p>
        <input
          id="recording-file"
          type="file"
          accept="audio/*,video/*"
          aria-describedby="recording-file-hint"
          disabled={!ready || busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) start(file);
          }}
        />
      </div>
      <div className="upload-progress">
        <label htmlFor="upload-progress">Upload progress</label>
        <progress id="upload-progress" max={100} value={percent} data-percent={percent}>
          {percent}%
        </progress>
        <p role="status" aria-live="polite" data-testid="upload-status">
          {phase === "idle" ? "Choose a file to start." : null}
          {phase === "uploading" ? `Uploading: ${percent}% (${mb(sent.bytes)} of ${mb(sent.total)} MB).` : null}
          {phase === "paused" ? `Paused at ${percent}%.` : null}
          {phase === "checking" ? "All bytes are in: checking the recording…" : null}
          {phase === "done" ? "Uploaded and checked." : null}
          {phase === "failed" ? "The upload stopped." : null}
        </p>
      </div>
      {error ? (
        <div className="alert alert--error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="actions">
        {phase === "uploading" || phase === "paused" ? (
          <button type="button" className="button button--secondary" onClick={togglePause}>
            {phase === "paused" ? "Resume" : "Pause"}
          </button>
        ) : null}
        {phase === "done" ? (
          <a className="button" href={doneHref}>
            Back to the case
          </a>
        ) : null}
      </div>
    </div>
  );
}
