// Sign in with a console user (created by `bulwark users create` or the first-start admin).
import { useState, type FormEvent } from 'react';
import { ApiError, post } from '../api.ts';
import { Button } from '../ui.tsx';

export function Login({ onLogin }: { onLogin: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      await post('/v1/sessions', { username, password });
      onLogin();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : (err as Error).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="login">
      <form onSubmit={submit} className="login-card" aria-label="Sign in">
        <div className="brand big">
          <svg width="28" height="28" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1 2 3.5v4C2 11 4.6 14 8 15c3.4-1 6-4 6-7.5v-4z" fill="#2a6df4" /></svg>
          Bulwark
        </div>
        <p className="subtitle">Risk control console</p>
        <label>Username<input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus required /></label>
        <label>Password<input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
        {error && <div className="form-error" role="alert">{error}</div>}
        <Button type="submit" variant="primary" pending={pending}>Sign in</Button>
        <p className="hint">First start prints an admin password; add people with <code>bulwark users create</code> or under Users and keys.</p>
      </form>
    </div>
  );
}
