import { useState } from "preact/hooks";
import type { ContactLeavePayload } from "../../../../../src/protocol/chat-payloads.ts";
import type { Identity } from "../../bridge-messages.ts";
import type { Strings } from "../i18n.ts";

type Props = {
  t: Strings;
  identity: Identity | null;
  /** Resolves with an error to show, or null once the contact is kept. */
  onSubmit: (contact: ContactLeavePayload) => Promise<string | null>;
};

/** Shown when no one can answer now: an email or a phone number (and a message) for the team. */
export function ContactForm({ t, identity, onSubmit }: Props) {
  const [name, setName] = useState(identity?.name ?? "");
  const [email, setEmail] = useState(identity?.email ?? "");
  const [phone, setPhone] = useState(identity?.phone ?? "");
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!email.trim() && !phone.trim()) {
      setError(t.contactNeedOne);
      return;
    }
    setBusy(true);
    const contact: ContactLeavePayload = {
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(message.trim() ? { message: message.trim() } : {}),
    };
    const refused = await onSubmit(contact);
    setBusy(false);
    setError(refused);
  };

  return (
    <form class="contact" onSubmit={submit} aria-labelledby="contact-title" noValidate>
      <p id="contact-title" class="contact-title">{t.contactTitle}</p>
      <p class="contact-intro">{t.contactIntro}</p>
      <label>
        <span>{t.contactName}</span>
        <input name="name" autoComplete="name" value={name} maxLength={100} onInput={(event) => setName(event.currentTarget.value)} />
      </label>
      <div class="pair">
        <label>
          <span>{t.contactEmail}</span>
          <input name="email" type="email" autoComplete="email" inputMode="email" value={email} maxLength={200} onInput={(event) => setEmail(event.currentTarget.value)} />
        </label>
        <label>
          <span>{t.contactPhone}</span>
          <input name="phone" type="tel" autoComplete="tel" inputMode="tel" value={phone} maxLength={25} onInput={(event) => setPhone(event.currentTarget.value)} />
        </label>
      </div>
      <label>
        <span>{t.contactMessage}</span>
        <textarea name="message" rows={2} value={message} maxLength={2000} onInput={(event) => setMessage(event.currentTarget.value)} />
      </label>
      {error && (
        <p class="contact-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t.contactSubmit}
      </button>
    </form>
  );
}
