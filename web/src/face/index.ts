/** The page's face client (no Vue inside): the extension bridge and the authinfo keeper. */
export { FaceClient, type FaceClientOptions, type FaceWindow, type InitRequest, type UserInfoRequest } from './face-client.js';
export {
  AuthinfoSession,
  type AuthinfoSessionOptions,
  type AuthinfoState,
  type AuthinfoStatus,
  type FetchAuthinfo,
  type RawdataSource,
} from './authinfo-session.js';
export { FaceError } from '@posface/protocol';
