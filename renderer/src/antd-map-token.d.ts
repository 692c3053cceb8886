// The build's antd map token for the UI's theme (renderer/vite.config.ts, antdMapTokenModule).
declare module 'virtual:yizhan-antd-map-token' {
  import type { MappingAlgorithm } from 'antd';
  type MapToken = ReturnType<MappingAlgorithm>;
  const token: MapToken;
  export default token;
}
