import type { InputHTMLAttributes, ReactNode } from "react";

type FieldProps = {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>;

/** The ids a control needs for its hint and error (aria-describedby), from the field's id. */
type ControlIds = { id: string; describedBy: string | undefined; invalid: true | undefined };

/**
 * The label, hint and error around one form control, wired up for assistive technology; `control` renders the
 * input or select with the ids it is given. The one frame Field and SelectField share.
 */
function FieldFrame({
  fieldId,
  label,
  error,
  hint,
  control,
}: {
  fieldId: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  control: (ids: ControlIds) => ReactNode;
}) {
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errorId = error ? `${fieldId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {control({ id: fieldId, describedBy, invalid: error ? true : undefined })}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its hint and error wired up for assistive technology. */
export function Field({ name, label, error, hint, id, ...input }: FieldProps) {
  return (
    <FieldFrame
      fieldId={id ?? `field-${name}`}
      label={label}
      error={error}
      hint={hint}
      control={(c) => <input id={c.id} name={name} aria-invalid={c.invalid} aria-describedby={c.describedBy} {...input} />}
    />
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div className="alert alert--error" role="alert">
      {message}
    </div>
  );
}

/** Every error on a form, listed at the top so it is announced and linkable. */
export function ErrorSummary({ errors }: { errors?: Record<string, string> }) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div className="alert alert--error" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>{field === "form" ? message : <a href={`#field-${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

type SelectFieldProps = {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  /** The first, empty choice ("Choose…"). */
  placeholder: string;
  error?: string;
  hint?: ReactNode;
  defaultValue?: string;
  required?: boolean;
};

/** A labelled select with its hint and error wired up for assistive technology, like Field. */
export function SelectField({ name, label, options, placeholder, error, hint, defaultValue, required }: SelectFieldProps) {
  return (
    <FieldFrame
      fieldId={`field-${name}`}
      label={label}
      error={error}
      hint={hint}
      control={(c) => (
        <select
          id={c.id}
          name={name}
          required={required}
          aria-invalid={c.invalid}
          aria-describedby={c.describedBy}
          defaultValue={defaultValue ?? ""}
        >
          <option value="">{placeholder}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
