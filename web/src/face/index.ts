/** The page's face client (no Vue inside): the extension bridge and the authinfo keeper. */
export { FaceClient } from './face-client.js';
export { AuthinfoSession, type FetchAuthinfo } from './authinfo-session.js';
