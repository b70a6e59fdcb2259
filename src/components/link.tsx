import type { AnchorHTMLAttributes } from 'react';
import { onLinkClick } from '@/lib/router';

/** An <a> that navigates client-side (and still works with modifier keys and without JS). */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} onClick={props.onClick ?? onLinkClick} />;
}
