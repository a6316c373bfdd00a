"""The MCP server: Charter's tools and resources for AI agents, under the REST API's authority."""
