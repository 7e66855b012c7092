import { Link } from "@remix-run/react";
import { formatDuration, RECORDING_STATUS_LABELS, type RecordingStatusName } from "#app/domain/recording-labels";

export type RecordingListItem = {
  id: string;
  status: RecordingStatusName;
  durationSeconds: number | null;
  /** yyyy-mm-dd */
  uploadedOn: string;
  session: number | null;
};

/** The recordings of a case's sessions, by session, each linking to its page (player, details, retention). */
export function RecordingList({ recordings }: { recordings: RecordingListItem[] }) {
  const sorted = [...recordings].sort((a, b) => (a.session ?? 0) - (b.session ?? 0) || b.uploadedOn.localeCompare(a.uploadedOn));
  return (
    <section aria-labelledby="recordings">
      <h3 id="recordings">Recordings</h3>
      {sorted.length === 0 ? (
        <p>No recordings uploaded yet.</p>
      ) : (
        <ul data-testid="recording-list">
          {sorted.map((r) => (
            <li key={r.id}>
              <Link to={`/recordings/${r.id}`}>
                Session {r.session ?? "?"}, uploaded {r.uploadedOn}
              </Link>
              : {RECORDING_STATUS_LABELS[r.status]}
              {r.status === "READY" ? `, ${formatDuration(r.durationSeconds)}` : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
