import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '../../common/errors/app-error';
import { PolicyKind } from './dto/policy-kind.enum';
import { PolicyDocuments, type PolicyDocument } from './policy-documents';

/** The published policy documents, and the rule that only a kind's current version can be agreed to. */
@Injectable()
export class PoliciesService {
  constructor(private readonly documents: PolicyDocuments) {}

  current(kind: PolicyKind): PolicyDocument {
    return this.documents.current(kind);
  }

  /** The current version of each kind. */
  currentOfEach(): PolicyDocument[] {
    return Object.values(PolicyKind).map((kind) => this.documents.current(kind));
  }

  findOrThrow(kind: PolicyKind, version: string): PolicyDocument {
    const document = this.documents.find(kind, version);
    if (!document) throw notFound('Policy version');
    return document;
  }

  /** BAD_USER_INPUT (on `field`) unless `version` is the current version of `kind`: older and unknown versions alike. */
  assertCurrent(kind: PolicyKind, version: string, field: string): PolicyDocument {
    const current = this.documents.current(kind);
    if (version !== current.version) {
      throw badInput(field, `The current ${kind === PolicyKind.PRIVACY ? 'privacy' : 'cookie'} policy is version ${current.version}.`);
    }
    return current;
  }
}
