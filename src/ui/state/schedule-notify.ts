/**
 * The page's ways to get attention while Cairn is in the background: Web Notifications (only
 * after the user allowed them, asked on a click) and the installed app's badge
 * (`navigator.setAppBadge`, where supported). Both fail silently where the host lacks them.
 */
export type NotifyPermission = NotificationPermission | 'unsupported';

export function notificationPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission; call from a click. Resolves to the new state. */
export async function requestNotificationPermission(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Shows a notification when allowed; `tag` replaces an earlier one with the same tag. */
export function notify(title: string, body: string, tag: string): void {
  if (notificationPermission() !== 'granted') return;
  try {
    new Notification(title, { body, tag, icon: '/icon.svg' });
  } catch (e) {
    console.warn('Cairn could not show a notification', e);
  }
}

type BadgeNavigator = Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };

/** Shows `count` on the app's icon (cleared at 0). Does nothing where unsupported. */
export function setBadge(count: number): void {
  const nav = navigator as BadgeNavigator;
  const done = count > 0 ? nav.setAppBadge?.(count) : nav.clearAppBadge?.();
  done?.catch(() => undefined);
}
