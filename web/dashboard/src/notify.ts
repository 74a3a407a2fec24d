/** Hand-off alerts: a short two-tone beep (Web Audio, no asset) and a desktop notification when permitted. */
let audio: AudioContext | null = null;

/** Create or resume the audio context; call from a user gesture (sign-in, a click) so browsers allow sound. */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume();
  } catch {
    audio = null;
  }
}

export function beep(): void {
  if (!audio) unlockAudio();
  if (!audio || audio.state !== "running") return;
  const start = audio.currentTime + 0.01;
  for (const [offset, frequency] of [[0, 880], [0.16, 1175]] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.18, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.14);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.15);
  }
}

export type NotificationState = "unsupported" | NotificationPermission;

export function notificationState(): NotificationState {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

export async function askNotificationPermission(): Promise<NotificationState> {
  if (typeof Notification === "undefined") return "unsupported";
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

export function desktopNotify(title: string, body: string, tag: string, onClick: () => void): void {
  if (notificationState() !== "granted") return;
  try {
    const notification = new Notification(title, { body, tag, lang: document.documentElement.lang });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker; the in-page toast still shows.
  }
}
