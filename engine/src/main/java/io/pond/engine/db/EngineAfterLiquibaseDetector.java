package io.pond.engine.db;

import java.util.Set;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.spring.ProcessEngineFactoryBean;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

/**
 * Makes the process engine wait for Liquibase. The engine's own schema update is off, so without this
 * it is built first and stops with ENGINE-03057 "There are no Camunda tables in the database"
 * (STACK-NOTES P3). Registered in META-INF/spring.factories.
 */
public class EngineAfterLiquibaseDetector extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
        return Set.of(ProcessEngineFactoryBean.class, ProcessEngine.class);
    }
}
