/** The "check a code" form: a plain GET form to /verify, so it works without JavaScript. */
export function VerifyForm({ defaultValue, error, label = "Certificate code" }: { defaultValue?: string; error?: string; label?: string }) {
  return (
    <form method="get" action="/verify" className="search-form" noValidate>
      <div className="field">
        <label htmlFor="verify-code">{label}</label>
        <p className="hint" id="verify-code-hint">
          As printed on the certificate, for example ATN-7K4Q-92XD. Capitals, spaces and dashes do not matter.
        </p>
        <input
          id="verify-code"
          name="code"
          defaultValue={defaultValue}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="characters"
          maxLength={64}
          aria-describedby={error ? "verify-code-hint verify-code-error" : "verify-code-hint"}
          aria-invalid={error ? true : undefined}
        />
        {error ? (
          <p className="field-error" id="verify-code-error">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button">
        Check
      </button>
    </form>
  );
}
