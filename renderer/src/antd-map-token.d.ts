// The build's antd map token for the UI's theme (renderer/vite.config.ts, antdMapTokenModule).
declare module 'virtual:yizhan-antd-map-token' {
  import type { MappingAlgorithm } from 'antd';
  type MapToken = ReturnType<MappingAlgorithm>;
  const token: MapToken;
  export default token;
}

// The URL of the build's second antd stylesheet (renderer/vite.config.ts, antdStaticStyles);
// null outside a build.
declare module 'virtual:yizhan-antd-later-css' {
  const href: string | null;
  export default href;
}
