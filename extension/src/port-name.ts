/** The runtime port name the content script opens to the worker. */
export const BRIDGE_PORT_NAME = 'pos-face-bridge';
