# Multi-stage build of the ConsultBot host. The runtime image runs as the non-root "app" user of the .NET images.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY ConsultBot.Domain/ConsultBot.Domain.csproj ConsultBot.Domain/
COPY ConsultBot.Host/ConsultBot.Host.csproj ConsultBot.Host/
RUN dotnet restore ConsultBot.Host/ConsultBot.Host.csproj
COPY ConsultBot.Domain/ ConsultBot.Domain/
COPY ConsultBot.Host/ ConsultBot.Host/
RUN dotnet publish ConsultBot.Host/ConsultBot.Host.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    Playground__Enabled=false
COPY --from=build /app .
USER $APP_UID
EXPOSE 8080
# No curl in the runtime image: a plain HTTP request over bash's /dev/tcp.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "ConsultBot.Host.dll"]
