// The only door the UI and the command line use into the socket service layer.
export {ChatService, type ChatServiceOptions} from './chat-service.js';
export {StartError} from './transport/bind-port.js';
export {PacketCapture, type CaptureSnapshot, describeFraming, bytesPerRow, dumpRow, dumpRowCount, keptBytes, keptRecords, type PacketRecord, type DataRecord, type EventRecord} from './inspect/index.js';
