import type { ModuleState } from "#app/domain/curriculum";

const LABEL: Record<ModuleState["status"], string> = {
  locked: "Locked",
  "not-started": "Not started",
  "in-progress": "In progress",
  completed: "Completed",
};

export function ModuleStatus({ state }: { state: ModuleState }) {
  return (
    <span className="status-group">
      <span className={`badge badge--${state.status}`}>{LABEL[state.status]}</span>
      {state.updatedSinceCompleted ? <span className="badge badge--warn">Updated since you completed it</span> : null}
    </span>
  );
}
