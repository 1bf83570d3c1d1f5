import type { InviteResponse } from '../../../shared/widget-api.ts';
import { ApiError } from '../api.ts';
import type { Fmt } from '../i18n.ts';
import type { InviteState, Model } from '../model.ts';

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The invite-by-email form: checks the address before sending, then explains any refusal. */
export function InviteSection({ m, f }: { m: Model; f: Fmt }) {
  const state = m.invite.value;
  const set = (next: InviteState) => (m.invite.value = next);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    if (state.busy) return;
    const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    const email = input('email').value.trim();
    const name = input('name').value.trim();
    if (!EMAIL.test(email)) {
      set({ error: f.t('badEmail'), field: true });
      m.say(f.t('badEmail'));
      input('email').focus();
      return;
    }
    set({ busy: true });
    try {
      await m.api.call<InviteResponse>('/me/invite', name ? { email, name } : { email });
      form.reset();
      const sent = f.t('inviteSent', { email });
      set({ sent });
      m.say(sent);
      m.emit('referral:invited', { email });
    } catch (x) {
      const error = m.fail(x);
      set({ error, field: x instanceof ApiError && (x.code == 'validation_failed' || x.code == 'self_referral') });
      m.say(error);
    }
  };

  const fieldError = state.field && state.error;
  return (
    <section aria-labelledby="rw-invite" data-testid="invite-section">
      <h3 id="rw-invite">{f.t('inviteTitle')}</h3>
      <form noValidate onSubmit={submit} data-testid="invite-form">
        <label for="rw-email">{f.t('inviteEmail')}</label>
        <input
          id="rw-email"
          name="email"
          type="email"
          autocomplete="off"
          required
          aria-invalid={!!fieldError}
          aria-describedby={fieldError ? 'rw-email-error' : undefined}
          data-testid="invite-email"
        />
        {fieldError && (
          <p id="rw-email-error" class="bad" data-testid="invite-error">
            {fieldError}
          </p>
        )}
        <label for="rw-name">{f.t('inviteName')}</label>
        <input id="rw-name" name="name" type="text" autocomplete="off" data-testid="invite-name" />
        <button type="submit" class="pri" aria-disabled={!!state.busy} data-testid="invite-submit">
          {f.t('inviteSend')}
        </button>
        {state.error && !state.field && (
          <p class="bad" data-testid="invite-error">
            {state.error}
          </p>
        )}
        {state.sent && <p data-testid="invite-sent">{state.sent}</p>}
      </form>
    </section>
  );
}
