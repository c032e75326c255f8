import type { JSX } from 'solid-js';
import { ENGINE_VERSION, FORMAT_VERSION } from '../worker/protocol';

/** The application shell: name, versions and where the default repository lives. */
export function App(): JSX.Element {
  return (
    <main class="shell" aria-labelledby="app-title">
      <header class="shell__header">
        <img class="shell__logo" src="/icon.svg" alt="" width="48" height="48" />
        <div>
          <h1 id="app-title">Cairn</h1>
          <p class="shell__tagline">Local-first, encrypted, deduplicating backups in your browser.</p>
        </div>
      </header>

      <section class="card" aria-labelledby="about-title">
        <h2 id="about-title">About this build</h2>
        <dl class="facts">
          <div class="facts__row">
            <dt>Engine version</dt>
            <dd data-testid="engine-version">{ENGINE_VERSION}</dd>
          </div>
          <div class="facts__row">
            <dt>Repository format</dt>
            <dd data-testid="format-version">{FORMAT_VERSION}</dd>
          </div>
          <div class="facts__row">
            <dt>Default repository</dt>
            <dd data-testid="default-repository">
              Embedded in this browser's IndexedDB. Nothing leaves this device unless you choose a
              folder for it.
            </dd>
          </div>
        </dl>
      </section>
    </main>
  );
}
