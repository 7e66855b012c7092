import { type ReactNode, type RefObject, useEffect, useState } from "react";
import { formatDuration } from "#app/domain/recording-labels";

export type TimelineComment = {
  id: string;
  atSeconds: number;
  /** The framework item it is tagged to, by title; null when untagged. */
  item: string | null;
  body: string;
  /** Who wrote it (shown to the trainee); omitted on a rater's own timeline. */
  author?: string;
};

/** True once React has hydrated the page: what needs JavaScript appears only then. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * Time-stamped comments in time order. With JavaScript each time is a button
 * that seeks the player to that moment (and plays); without it, the time is
 * plain text beside the comment. `actions` adds controls per comment (a
 * rater's "Delete" on their draft).
 */
export function CommentTimeline({
  comments,
  player,
  empty,
  actions,
  labelledBy,
}: {
  comments: readonly TimelineComment[];
  player: RefObject<HTMLMediaElement | null>;
  empty: string;
  actions?: (comment: TimelineComment) => ReactNode;
  labelledBy: string;
}) {
  const hydrated = useHydrated();
  if (comments.length === 0) return <p className="muted">{empty}</p>;
  const seek = (seconds: number) => {
    const media = player.current;
    if (!media) return;
    media.currentTime = seconds;
    void media.play().catch(() => undefined);
  };
  return (
    <ol className="timeline" aria-labelledby={labelledBy} data-testid="timeline">
      {comments.map((c) => {
        const time = formatDuration(c.atSeconds);
        return (
          <li key={c.id} className="timeline-comment">
            {hydrated ? (
              <button
                type="button"
                className="timeline-time"
                onClick={() => seek(c.atSeconds)}
                aria-label={`Play from ${time}`}
                data-at={c.atSeconds}
              >
                {time}
              </button>
            ) : (
              <span className="timeline-time">{time}</span>
            )}
            <div className="timeline-body">
              {c.item ? <span className="badge">{c.item}</span> : null}
              {c.author ? <span className="muted"> {c.author}: </span> : null}
              <span className="timeline-text">{c.body}</span>
              {actions ? <div className="timeline-actions">{actions(c)}</div> : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
