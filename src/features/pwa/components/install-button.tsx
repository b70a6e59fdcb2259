import { promptInstall, useCanInstall } from '@/features/pwa/install-prompt';

/** "Install app", shown only while the browser offers installation (Chromium's beforeinstallprompt). */
export function InstallButton() {
  const canInstall = useCanInstall();
  if (!canInstall) return null;
  return (
    <button type="button" className="button" onClick={() => void promptInstall()}>
      Install app
    </button>
  );
}
