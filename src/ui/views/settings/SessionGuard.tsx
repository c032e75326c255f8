import { createContext, createSignal, onMount, useContext, type Accessor, type JSX } from 'solid-js';
import { useEngine } from '../../state/engine-context';
import { DEFAULT_IDLE_MINUTES, loadIdleMinutes, saveIdleMinutes, useIdleLock } from './idle-lock';

interface SessionGuardValue {
  readonly idleMinutes: Accessor<number>;
  setIdleMinutes(m: number): void;
}

const Ctx = createContext<SessionGuardValue>();

/** Wraps the open app: runs the idle lock (idle-lock.ts) and holds its setting. */
export function SessionGuard(props: { children: JSX.Element }): JSX.Element {
  const engine = useEngine();
  const [minutes, setMinutes] = createSignal(DEFAULT_IDLE_MINUTES);
  onMount(() => void loadIdleMinutes().then(setMinutes));
  useIdleLock(engine, minutes);
  const value: SessionGuardValue = {
    idleMinutes: minutes,
    setIdleMinutes(m) {
      setMinutes(m);
      void saveIdleMinutes(m).catch(() => undefined);
    },
  };
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}

export function useSessionGuard(): SessionGuardValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSessionGuard() must be used inside <SessionGuard>');
  return v;
}
