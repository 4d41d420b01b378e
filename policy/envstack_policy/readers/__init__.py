"""What the policies share, kept apart so a rule about reading holds the same for every policy.

How to read property values, IAM documents, principals and links between
resources, the type tokens, the pack and stack config, and the one shape of
a violation message. Nothing here is a policy and nothing here imports one.
"""
