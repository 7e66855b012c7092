import { forwardRef } from "react";
import type { PlayerSource } from "#app/domain/recording-labels";

/**
 * The recording's player: the browser's own audio or video element with its
 * controls (keyboard-operable), never offering a download. Its element is
 * handed to `ref`, so a timeline of comments can seek it.
 */
export const RecordingPlayer = forwardRef<HTMLMediaElement, { source: PlayerSource; title: string }>(function RecordingPlayer(
  { source, title },
  ref,
) {
  return (
    <section aria-labelledby="player">
      <h2 id="player" className="visually-hidden">
        Player
      </h2>
      {source.hasVideo ? (
        // biome-ignore lint/a11y/useMediaCaption: session recordings have no caption track; the raters' comments are the timed text.
        <video
          ref={ref as React.Ref<HTMLVideoElement>}
          className="recording-player"
          controls
          preload="metadata"
          controlsList="nodownload"
          src={source.src}
          aria-label={title}
          data-testid="player"
        >
          Your browser cannot play this recording.
        </video>
      ) : (
        // biome-ignore lint/a11y/useMediaCaption: session recordings have no caption track.
        <audio
          ref={ref as React.Ref<HTMLAudioElement>}
          className="recording-player"
          controls
          preload="metadata"
          controlsList="nodownload"
          src={source.src}
          aria-label={title}
          data-testid="player"
        >
          Your browser cannot play this recording.
        </audio>
      )}
      <p className="hint">This page's player works for a few hours; reload the page to play again later.</p>
    </section>
  );
});
