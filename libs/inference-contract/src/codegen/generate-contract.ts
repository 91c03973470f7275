import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import { CodeGeneratorRequest, CodeGeneratorResponse, FileDescriptorSet } from 'ts-proto-descriptors';

/**
 * Generates the TypeScript contract from inference.proto with ts-proto, without protoc:
 * protobufjs parses the .proto into a FileDescriptorSet, which is handed to the
 * protoc-gen-ts_proto plugin as a CodeGeneratorRequest on stdin.
 */
export const PROTO_FILE = join(__dirname, '..', 'inference.proto');
export const GENERATED_FILE = join(__dirname, '..', 'generated', 'inference.generated.ts');

const TS_PROTO_OPTIONS = [
  'outputServices=grpc-js',
  'esModuleInterop=true',
  'env=node',
  'forceLong=number',
  'removeEnumPrefix=true',
  'useOptionals=none',
  'outputJsonMethods=false',
  'outputPartialMethods=true',
].join(',');

const HEADER = '/* eslint-disable */\n// GENERATED from inference.proto by src/codegen/generate-contract.ts (ts-proto). Do not edit.\n';

// protobufjs' descriptor extension patches Root with toDescriptor().
const descriptorExt = require('protobufjs/ext/descriptor') as { FileDescriptorSet: protobuf.Type };

export function generateContractSource(): string {
  const root = new protobuf.Root();
  protobuf.parse(readFileSync(PROTO_FILE, 'utf8'), root, { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  const set = (root as unknown as { toDescriptor(edition: string): protobuf.Message }).toDescriptor('proto3');
  const bytes = descriptorExt.FileDescriptorSet.encode(set).finish();
  const files = FileDescriptorSet.decode(bytes).file;
  if (files.length !== 1) throw new Error(`expected one proto file, got ${files.length}`);
  const file = qualifyTypeNames(root, files[0]);
  file.name = 'inference.proto';
  const request = CodeGeneratorRequest.encode(
    CodeGeneratorRequest.fromPartial({ fileToGenerate: [file.name], parameter: TS_PROTO_OPTIONS, protoFile: [file] }),
  ).finish();
  const plugin = require.resolve('ts-proto/protoc-gen-ts_proto');
  const run = spawnSync(process.execPath, [plugin], { input: Buffer.from(request), maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`ts-proto failed: ${run.stderr.toString()}`);
  const response = CodeGeneratorResponse.decode(run.stdout);
  if (response.error) throw new Error(`ts-proto: ${response.error}`);
  const out = response.file.find((f) => f.name.endsWith('.ts'));
  if (!out) throw new Error('ts-proto produced no TypeScript file');
  return HEADER + out.content;
}

type FileProto = FileDescriptorSet['file'][number];
type MessageProto = FileProto['messageType'][number];

/** protobufjs writes type names relative to the package; plugins expect them fully qualified ('.pkg.Type'). */
function qualifyTypeNames(root: protobuf.Root, file: FileProto): FileProto {
  const qualifyMessage = (message: MessageProto, scope: string): void => {
    const type = root.lookupType(`${scope}.${message.name}`);
    for (const field of message.field) {
      const resolved = type.fields[field.name]?.resolvedType;
      if (field.typeName && resolved) field.typeName = resolved.fullName;
    }
    for (const nested of message.nestedType) qualifyMessage(nested, `${scope}.${message.name}`);
  };
  for (const message of file.messageType) qualifyMessage(message, file.package);
  for (const service of file.service) {
    const svc = root.lookupService(`${file.package}.${service.name}`);
    for (const method of service.method) {
      const m = svc.methods[method.name];
      method.inputType = m.resolvedRequestType?.fullName ?? method.inputType;
      method.outputType = m.resolvedResponseType?.fullName ?? method.outputType;
    }
  }
  return file;
}

if (require.main === module) {
  writeFileSync(GENERATED_FILE, generateContractSource());
  console.log(`wrote ${GENERATED_FILE}`);
}
