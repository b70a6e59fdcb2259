import type { ReactNode } from 'react';
import { InstallButton } from '@/features/pwa/components/install-button';
import { UpdateBanner } from '@/features/pwa/components/update-banner';
import { Link } from '@/components/link';

/**
 * What frames every page: skip link, header, update banner, `main`, footer. Shared by the signed-out start
 * (signed-out-app.tsx) and the full app (app.tsx), so handing over from one to the other moves nothing.
 * `nav` and `statusBar` are the signed-in navigation and sync bar.
 */
export function SiteChrome({ nav, statusBar, children }: { nav?: ReactNode; statusBar?: ReactNode; children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        {/* The install offer arrives whenever the browser decides (often after the first paint); it sits
            next to the brand, in a row already as tall as a button, so its arrival moves nothing. */}
        <div className="site-header-start">
          <Link href="/" className="brand">
            Rounds
          </Link>
          <InstallButton />
        </div>
        {nav}
      </header>
      {statusBar}
      <UpdateBanner />
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer muted">Build {__BUILD_ID__}</footer>
    </>
  );
}

export function PageLoading() {
  return (
    <p role="status" className="muted">
      Loading…
    </p>
  );
}
