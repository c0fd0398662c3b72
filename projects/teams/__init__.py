"""Teams (workspaces): members with roles, invitations. Projects and API keys belong to one."""
