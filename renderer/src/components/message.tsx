// The screens' short notices (antd's message, themed and in the UI's language). antd's App
// component gave them too, together with the notification and modal machinery no screen uses
// from it — about 40 KB of the first script and two holders drawn at every start
// (issue 13, Performance). The wrapper carries the text style antd's App gave (`.app-root`).
import { createContext, useContext, type ReactNode } from 'react';
import { message } from 'antd';

type MessageApi = ReturnType<typeof message.useMessage>[0];

const MessageContext = createContext<MessageApi | null>(null);

export function MessageProvider({ children }: { children: ReactNode }) {
  const [api, holder] = message.useMessage();
  return (
    <MessageContext.Provider value={api}>
      <div className="app-root">
        {holder}
        {children}
      </div>
    </MessageContext.Provider>
  );
}

/** The notices of the MessageProvider above. */
export function useMessage(): MessageApi {
  const api = useContext(MessageContext);
  if (!api) throw new Error('useMessage outside MessageProvider');
  return api;
}
