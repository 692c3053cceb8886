// A plain card for the first screen (the counter's flow, the login): antd's Card looks the same
// but brings its tabs, menus and skeletons along (about 80 KB of the first script); the screens
// opened later keep antd's Card (issue 13, Performance). Looks: styles.css, `.panel`.
import type { HTMLAttributes, ReactNode, Ref } from 'react';

export function Panel({
  title,
  className,
  children,
  ref,
  ...rest
}: { title?: ReactNode; ref?: Ref<HTMLDivElement> } & Omit<HTMLAttributes<HTMLDivElement>, 'title'>) {
  return (
    <div ref={ref} className={className ? `panel ${className}` : 'panel'} {...rest}>
      {title !== undefined && <div className="panel-head">{title}</div>}
      <div className="panel-body">{children}</div>
    </div>
  );
}
