/**
 * Styles of the launcher and the panel's frame, inside the widget's shadow root: the
 * store's CSS cannot reach in and ours cannot leak out. Sizes are in px, not rem, so the host
 * page's root font size cannot change them.
 */
export const LOADER_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.launcher {
  position: fixed; bottom: 20px; right: 20px; width: 56px; height: 56px; margin: 0; padding: 0;
  border: 0; border-radius: 50%; background: var(--kefu-accent); color: #fff; cursor: pointer;
  display: flex; align-items: center; justify-content: center;
  box-shadow: 0 6px 20px rgba(15, 23, 42, .24), 0 2px 6px rgba(15, 23, 42, .16);
  transition: transform .16s ease, box-shadow .16s ease; -webkit-tap-highlight-color: transparent;
  font: 600 12px/1 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
}
.launcher:hover { transform: translateY(-2px); box-shadow: 0 10px 26px rgba(15, 23, 42, .28), 0 3px 8px rgba(15, 23, 42, .18); }
.launcher:focus-visible { outline: 3px solid #fff; box-shadow: 0 0 0 6px var(--kefu-accent); }
.launcher svg { width: 28px; height: 28px; display: block; }
.launcher .close-icon { display: none; }
:host(.open) .launcher .chat-icon { display: none; }
:host(.open) .launcher .close-icon { display: block; }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #dc2626; color: #fff; border: 2px solid #fff;
  display: flex; align-items: center; justify-content: center; font-size: 12px; line-height: 1;
}
.badge[hidden] { display: none; }
.panel {
  position: fixed; right: 20px; bottom: 88px; width: 384px; height: min(640px, calc(100vh - 112px));
  border-radius: 16px; overflow: hidden; background: #fff;
  box-shadow: 0 18px 50px rgba(15, 23, 42, .28), 0 4px 12px rgba(15, 23, 42, .12);
  opacity: 0; visibility: hidden; transform: translateY(12px) scale(.98); transform-origin: bottom right;
  transition: opacity .18s ease, transform .18s ease, visibility 0s linear .18s;
}
:host(.open) .panel { opacity: 1; visibility: visible; transform: none; transition: opacity .18s ease, transform .18s ease; }
.panel iframe { display: block; width: 100%; height: 100%; border: 0; background: #fff; color-scheme: light; }
:host(.left) .launcher { right: auto; left: 20px; }
:host(.left) .panel { right: auto; left: 20px; transform-origin: bottom left; }
@media (max-width: 480px), (max-height: 560px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  :host(.left) .panel { left: 0; }
  :host(.open) .launcher { display: none; }
}
@media (prefers-reduced-motion: reduce) {
  .launcher, .panel, :host(.open) .panel { transition: none; }
}
`;
