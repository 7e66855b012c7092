import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from "#app/domain/roles";

export function RoleCheckboxes({ selected, error }: { selected: readonly string[]; error?: string }) {
  return (
    <fieldset className="field checks" aria-describedby={error ? "field-roles-error" : undefined}>
      <legend id="field-roles">Roles</legend>
      {ROLES.map((role: Role) => (
        <label key={role}>
          <input type="checkbox" name="roles" value={role} defaultChecked={selected.includes(role)} />
          <span>
            {ROLE_LABELS[role]} <span className="muted">— {ROLE_DESCRIPTIONS[role]}</span>
          </span>
        </label>
      ))}
      {error ? (
        <p className="field-error" id="field-roles-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
