namespace ConsultBot.Domain.Materials;

/// <summary>Materials, assignments and information sources teachers post. Implementations work inside the update's transaction.</summary>
public interface IMaterialRepository
{
}
