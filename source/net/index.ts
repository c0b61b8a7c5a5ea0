// The only door the UI and the command line use into the socket service layer.
export {ChatService, type ChatServiceOptions} from './chat-service.js';
export {StartError} from './transport/bind-port.js';
