import type { ManagerNotice, Relationship } from "./managers";
import type { Notice } from "./person-types";

const RELATION_ZH: Record<Relationship, string> = {
  self: "本人",
  parent: "父母",
  child: "子女",
  spouse: "配偶",
  other: "其他",
};

/** What the person reads in their history (and in the push) about their managers. */
export function noticeFor(n: ManagerNotice, at: string): Notice {
  switch (n.kind) {
    case "manager_request":
      return {
        kind: n.kind,
        at,
        relationship: n.relationship,
        requestId: n.requestId,
        text: {
          zh: `另一个账户以"${RELATION_ZH[n.relationship]}"关系申请管理您的健康码。请在"管理人"中批准或拒绝；批准前它看不到您的任何信息。`,
          en: `Another account asked to manage your health code as ${n.relationship}. Approve or deny it under "Managers"; until you approve, it sees nothing about you.`,
        },
      };
    case "self_displaced":
      return {
        kind: n.kind,
        at,
        relationship: "self",
        requestId: n.requestId,
        text: {
          zh: "一个未经实名验证、自称本人的账户曾绑定您的健康码，现已被解除，转为待您批准的申请。",
          en: "An account that claimed to be you without a verified real name was bound to your code; it has been unbound and is now a request for you to approve or deny.",
        },
      };
    case "manager_added":
      return {
        kind: n.kind,
        at,
        relationship: n.relationship,
        text: {
          zh: `另一个账户以"${RELATION_ZH[n.relationship]}"关系添加了您的健康码`,
          en: `Another account added your health code as ${n.relationship}`,
        },
      };
  }
}
