import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/components/shared/providers';
import { t } from '@/lib/i18n/pt-br';
import './globals.css';

export const metadata: Metadata = { title: t.app.name, description: `${t.app.name} ${t.app.company}` };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="pt-BR">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
