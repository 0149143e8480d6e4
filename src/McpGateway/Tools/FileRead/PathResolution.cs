namespace McpGateway.Tools.FileRead;

/// <summary>Where a path really leads, and whether a symbolic link was followed to get there.</summary>
internal readonly record struct PathResolution(PathOutcome Outcome, string RealPath, bool FollowedLink);
