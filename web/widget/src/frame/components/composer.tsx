import { useRef, useState } from "preact/hooks";
import type { Ref } from "preact";
import type { Strings } from "../i18n.ts";
import { SendIcon } from "./icons.tsx";

type Props = {
  t: Strings;
  onSend: (text: string) => void;
  onTyping: () => void;
  inputRef: Ref<HTMLTextAreaElement>;
};

const MAX_HEIGHT_PX = 120;

/**
 * The message box: Enter sends and Shift+Enter breaks the line, except while an input method is
 * composing (pinyin, kana…), where Enter picks the candidate and must never send half a word.
 */
export function Composer({ t, onSend, onTyping, inputRef }: Props) {
  const [text, setText] = useState("");
  const composing = useRef(false);

  const submit = () => {
    if (!text.trim()) return;
    onSend(text);
    setText("");
    const input = (inputRef as { current: HTMLTextAreaElement | null }).current;
    if (input) {
      input.style.height = "";
      input.focus();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={inputRef}
        rows={1}
        value={text}
        placeholder={t.placeholder}
        aria-label={t.inputLabel}
        enterkeyhint="send"
        maxLength={4000}
        onInput={(event) => {
          const input = event.currentTarget;
          setText(input.value);
          input.style.height = "";
          input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
          onTyping();
        }}
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={() => (composing.current = false)}
        onKeyDown={(event) => {
          if (event.key !== "Enter" || event.shiftKey) return;
          // keyCode 229: Safari ends the composition before this keydown, so isComposing alone is not enough.
          if (event.isComposing || composing.current || event.keyCode === 229) return;
          event.preventDefault();
          submit();
        }}
      />
      <button type="submit" class="send" aria-label={t.send} title={t.send} disabled={!text.trim()}>
        <SendIcon />
      </button>
    </form>
  );
}
