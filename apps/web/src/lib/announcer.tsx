// One place for status messages: shown on screen and read by screen readers (a polite live region;
// errors use an assertive one).
import { createContext, useCallback, useContext, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";

type Tone = "info" | "success" | "error";
interface Message {
  id: number;
  text: string;
  tone: Tone;
}

interface Announcer {
  announce: (text: string, tone?: Tone) => void;
}

const AnnouncerContext = createContext<Announcer>({ announce: () => undefined });

export function useAnnounce(): Announcer["announce"] {
  return useContext(AnnouncerContext).announce;
}

export function AnnouncerProvider({ children, closeLabel }: { children: ReactNode; closeLabel: string }) {
  const [message, setMessage] = useState<Message | null>(null);
  const nextId = useRef(1);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const announce = useCallback((text: string, tone: Tone = "info") => {
    if (timer.current) clearTimeout(timer.current);
    setMessage({ id: nextId.current++, text, tone });
    // Errors stay until dismissed; other messages fade after a while.
    if (tone !== "error") timer.current = setTimeout(() => setMessage(null), 8000);
  }, []);
  const value = useMemo(() => ({ announce }), [announce]);

  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <div className="announcer" role="status" aria-live="polite" aria-atomic="true">
        {message && message.tone !== "error" ? (
          <p key={message.id} className={`toast toast-${message.tone}`}>
            {message.text}
          </p>
        ) : null}
      </div>
      <div className="announcer" role="alert" aria-atomic="true">
        {message && message.tone === "error" ? (
          <p key={message.id} className="toast toast-error">
            <span>{message.text}</span>
            <button type="button" className="link-button" onClick={() => setMessage(null)}>
              {closeLabel}
            </button>
          </p>
        ) : null}
      </div>
    </AnnouncerContext.Provider>
  );
}
