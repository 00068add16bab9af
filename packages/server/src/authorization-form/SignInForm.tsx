/** @jsxImportSource preact */
/**
 * The username-and-password form both sign-in pages use: the authorization
 * sign-in (LoginPage, CDS-WG3-01 §9.1.2) and the account sign-in that opens a
 * receipt's hidden numbers (AccountSignIn, §9.4). One component, so the two
 * keep the same labels, error wording and single-submission behaviour.
 */
export interface SignInFormProps {
  action: string;
  csrf: string;
  /** The last attempt failed: the alert is shown and tied to the username field. */
  failed: boolean;
  username: string;
  /** Extra hidden fields the page's handler reads back (e.g. where to return). */
  hidden?: Record<string, string>;
}

export function SignInForm(p: SignInFormProps) {
  return (
    <>
      {p.failed ? (
        <p class="form-error" role="alert" id="login-error">
          The username or password is incorrect.
        </p>
      ) : null}
      <form method="post" action={p.action} autocomplete="off" data-once>
        <input type="hidden" name="csrf" value={p.csrf} />
        {Object.entries(p.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <label for="username">Username</label>
        <input type="text" id="username" name="username" value={p.username} required autofocus aria-describedby={p.failed ? "login-error" : undefined} />
        <label for="password">Password</label>
        <input type="password" id="password" name="password" required />
        <div class="buttons">
          <button type="submit" class="approve">
            Sign in
          </button>
        </div>
      </form>
    </>
  );
}
